data "local_image" "base" {}
data "local_image" "base" {} # ERROR: Duplicate data source
