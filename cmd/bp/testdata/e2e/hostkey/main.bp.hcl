# One configured machine whose host key the test changes behind bp's back.
blueprint {
  required_providers {
    local = { source = "builtin/local" }
  }
}

variable "project" { type = string }

provider "local" { project = var.project }

resource "machine" "box" {
  name = "box"
}

role "marker" {
  file "/etc/bp-e2e-marker" {
    content = "converged\n"
  }
}

configure "box" {
  hosts = [resource.machine.box]
  roles = [role.marker]
}

output "address" { value = resource.machine.box.address }
output "host_key" { value = resource.machine.box.host_key }
