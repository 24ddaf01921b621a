resource "machine" "web" {}
role "app" {
  package "nginx" {}
}
configure "web" {
  hosts    = resource.machine.web
  roles    = [role.app]
  parallel = 2 # ERROR: Unsupported argument
}
