variable "web_count" {
  type = number
}
variable "site" {
  default = "x"
}
