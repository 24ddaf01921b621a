region = null # ERROR: Invalid value for variable
zone   = null
