resource "machine" "web" {}
role "app" {
  package "nginx" {}
}
configure "web" {
  hosts = resource.machine.web
  roles = [
    role.app,
    "db",        # ERROR: Invalid roles reference
    machine.web, # ERROR: Invalid role reference
    role["app"], # ERROR: Invalid role reference
  ]
  depends_on = [resource.machine.web]
  rollout {
    max_parallel = 0 # ERROR: Invalid max_parallel
  }
}
