variable "web_count" { # ERROR: Invalid value for variable
  type    = number
  default = 2
  validation {
    condition     = var.web_count >= 1 && var.web_count <= 50
    error_message = "web_count must be between 1 and 50."
  }
}
