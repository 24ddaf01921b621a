# A blueprint on the example kv provider (an external plugin, see ../README.md)
# together with the built-in std provider. Build the plugin first:
#
#   go build -o .bp/plugins/bp-provider-kv ./examples/provider-kv
#
# (from the repository root, with BP_PLUGIN_PATH=$PWD/.bp/plugins), then
# `bp init`, `bp plan`, `bp apply` and `bp destroy` in this directory.

blueprint {
  required_providers {
    kv  = { source = "example/kv", version = ">= 0.1.0" }
    std = { source = "builtin/std" }
  }
  backend "local" {
    path = "bp.state"
  }
}

provider "kv" {
  dir = "${path.module}/data"
}

variable "greeting" {
  type    = string
  default = "hello"
}

# A password chosen once by std and kept in the kv store; it never appears in
# plans or output.
resource "std_random" "db_password" {
  length = 20
}

resource "kv_entry" "greeting" {
  key   = "greeting"
  value = var.greeting
}

resource "kv_entry" "db_password" {
  key             = "db_password"
  sensitive_value = std_random.db_password.result
}

# Read an entry back through the data source. Its key comes from the
# entry's id, which is known only once the entry exists, so bp reads it after
# creating the entry rather than while planning.
data "kv_entry" "db_password" {
  key = kv_entry.db_password.id
}

resource "std_file" "app_config" {
  path    = "${path.module}/out/app.conf"
  content = <<-EOT
    greeting=${kv_entry.greeting.value}
    greeting_version=${kv_entry.greeting.version}
    db_password_version=${data.kv_entry.db_password.version}
  EOT
}

output "greeting_version" {
  value = kv_entry.greeting.version
}
