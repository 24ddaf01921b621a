variable "name" {}
variable "zone" {}
