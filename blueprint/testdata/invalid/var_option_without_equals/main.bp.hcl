variable "web_count" {
  default = 2
}
