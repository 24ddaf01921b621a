variable "name" {
  type = string
  validation {
    condition     = var.name == "web" ? true : "no" # ERROR: Invalid validation condition
    error_message = "name must be web."
  }
}
