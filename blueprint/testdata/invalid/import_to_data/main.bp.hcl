data "local_image" "base" {}
import {
  to = data.local_image.base # ERROR: Invalid import address
  id = "img-1"
}
