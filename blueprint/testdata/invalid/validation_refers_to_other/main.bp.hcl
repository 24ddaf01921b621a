variable "min" {
  default = 1
}
locals {
  floor = 1
}
variable "web_count" {
  default = 2
  validation {
    condition     = var.web_count >= var.min
    error_message = "web_count must be at least ${local.floor}." # ERROR: Invalid reference in variable validation
  }
}
