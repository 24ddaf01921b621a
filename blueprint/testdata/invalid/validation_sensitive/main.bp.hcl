variable "password" { # ERROR: Invalid value for variable
  type      = string
  sensitive = true
  validation {
    condition     = length(var.password) >= 12
    error_message = "The password ${var.password} is too short."
  }
}
