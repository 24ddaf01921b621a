resource "machine" "web" {}
moved { # ERROR: Invalid moved block
  from = module.web
  to   = resource.machine.web
}
