variable "min" {
  default = 1
}
variable "web_count" {
  default = 2
  validation {
    condition     = var.web_count >= var.min # ERROR: Invalid reference in variable validation
    error_message = "web_count must be at least ${var.min}." # ERROR: Invalid reference in variable validation
  }
}
