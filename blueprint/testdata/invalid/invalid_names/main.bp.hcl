resource "machine" "web server" {} # ERROR: Invalid resource name
variable "1st" {} # ERROR: Invalid variable name
output "url!" { value = "x" } # ERROR: Invalid output name
role "app role" { # ERROR: Invalid role name
  package "nginx" {}
}
variable "count" {} # ERROR: Reserved variable name
resource "var" "x" {} # ERROR: Reserved resource type name
