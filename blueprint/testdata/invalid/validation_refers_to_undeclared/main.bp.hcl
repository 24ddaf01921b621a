variable "min" {
  default = 1
}
variable "web_count" {
  default = 2
  validation {
    condition     = var.web_count >= var.mn # ERROR: Reference to undeclared input variable
    error_message = "web_count must be at least ${var.min}."
  }
}
