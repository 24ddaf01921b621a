resource "machine" { # ERROR: Missing name for resource
}
variable "a" "b" {} # ERROR: Extraneous label for variable
