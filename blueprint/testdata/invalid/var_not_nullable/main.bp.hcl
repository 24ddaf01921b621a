variable "region" {
  type     = string
  nullable = false
}
variable "zone" {
  type     = string
  nullable = false
  default  = "a"
}
