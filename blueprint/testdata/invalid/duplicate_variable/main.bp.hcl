variable "size" {}
