# A machine group of nginx members, resized through its desired size.
blueprint {
  required_providers {
    local = { source = "builtin/local" }
  }
}

variable "project" { type = string }
variable "desired" {
  type    = number
  default = 2
}

provider "local" { project = var.project }

role "web" {
  package "nginx" {}
  file "/var/www/html/index.html" {
    content = "member ${host.address}\n"
  }
  service "nginx" {
    state   = "running"
    enabled = true
  }
}

resource "machine_group" "web" {
  template {
    image = "debian-12"
    size  = "small"
  }
  roles   = [role.web]
  min     = 1
  max     = 4
  desired = var.desired
}

output "members" { value = resource.machine_group.web.members }
output "size" { value = resource.machine_group.web.size }
