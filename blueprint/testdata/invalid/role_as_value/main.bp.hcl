role "app" {
  package "nginx" {}
}
output "role" {
  value = role.app # ERROR: Invalid "role" reference
}
