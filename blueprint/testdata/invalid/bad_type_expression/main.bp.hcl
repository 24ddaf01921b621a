variable "names" {
  type = lsit(string) # ERROR: Invalid type specification
}
