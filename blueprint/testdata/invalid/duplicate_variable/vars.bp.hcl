# Declared again in a second file of the same module.
variable "size" {} # ERROR: Duplicate variable
