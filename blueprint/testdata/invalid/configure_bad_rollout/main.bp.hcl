resource "machine" "web" {}
role "app" {
  package "nginx" {}
}
variable "port" { default = 80 }
configure "web" {
  hosts = resource.machine.web
  roles = [role.app]
  rollout {
    health_check {
      port              = 0        # ERROR: Invalid port
      path              = "health" # ERROR: Invalid path
      timeout           = "soon"   # ERROR: Invalid timeout
      healthy_threshold = 0        # ERROR: Invalid healthy_threshold
    }
    health_check { # ERROR: Duplicate health_check block
      port = 80
    }
  }
}
configure "api" {
  hosts = resource.machine.web
  roles = [role.app]
  rollout {
    health_check {
      port = var.port # ERROR: Constant required
    }
  }
}
