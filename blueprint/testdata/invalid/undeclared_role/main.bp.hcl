resource "machine" "web" {}
role "app" {
  package "nginx" {}
}
configure "web" {
  hosts = resource.machine.web
  roles = [role.ap] # ERROR: Reference to undeclared role
}
