variable "size" {}
variable "zone" {
  default = "a"
}
