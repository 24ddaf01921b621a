variable "size" {
  type    = string
  defualt = "small" # ERROR: Unsupported argument
}
