resource "machine" "web" {}
role "app" {
  package "nginx" {}
}
configure "web" {
  hosts = resource.machine.web
  roles = [role.app, "db", machine.web] # ERROR: Invalid roles reference ERROR: Invalid role reference
  rollout {
    max_parallel = 0 # ERROR: Invalid max_parallel
  }
}
