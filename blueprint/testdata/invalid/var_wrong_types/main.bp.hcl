variable "web_count" { # ERROR: Invalid value for variable
  type = number
}
variable "zones" { # ERROR: Invalid value for variable
  type = list(string)
}
variable "db" { # ERROR: Invalid value for variable
  type = object({ name = string, port = number })
}
