# One machine configured on its plain address, without the host key its
# provider knows, so bp trusts it on first use; and by two configure blocks
# whose slow commands must not run at the same time on it.
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

locals {
  plain = [{
    name            = "box"
    address         = resource.machine.box.address
    ssh_private_key = resource.machine.box.ssh_private_key
  }]
}

role "first" {
  exec "slow" {
    command = "echo start first $(date +%s%N) >> /root/spans; sleep 2; echo end first $(date +%s%N) >> /root/spans"
  }
}

role "second" {
  exec "slow" {
    command = "echo start second $(date +%s%N) >> /root/spans; sleep 2; echo end second $(date +%s%N) >> /root/spans"
  }
}

configure "first" {
  hosts = local.plain
  roles = [role.first]
}

configure "second" {
  hosts = local.plain
  roles = [role.second]
}

output "address" { value = resource.machine.box.address }
