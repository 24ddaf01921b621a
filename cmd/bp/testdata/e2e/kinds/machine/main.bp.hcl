# One machine; the test adds kinds.bp.hcl once it exists, so the role is
# planned in check mode against a real host before it is applied.
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
