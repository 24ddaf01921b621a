# An HCL file and a JSON file in one module refer to each other.
variable "size" {
  default = "small"
}

resource "machine" "web" {
  size = var.size
  name = local.name
}
