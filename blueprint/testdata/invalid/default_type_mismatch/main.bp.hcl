variable "web_count" {
  type    = number
  default = "two" # ERROR: Invalid default value for variable
}
