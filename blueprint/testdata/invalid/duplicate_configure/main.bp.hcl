resource "machine" "web" {}
role "app" {
  package "nginx" {}
}
configure "web" {
  hosts = resource.machine.web
  roles = [role.app]
}
configure "web" { # ERROR: Duplicate configure block
  hosts = resource.machine.web
  roles = [role.app]
}
