variable "zone" {
  type = string
}

variable "size" {
  type    = string
  default = "tiny"
}

resource "machine" "cache" {
  image  = "debian-12"
  size   = var.size
  labels = { zone = var.zone }
}

output "address" {
  value = machine.cache.address
}
