variable "region" {} # ERROR: No value for required variable
variable "size" {
  default = "small"
}
