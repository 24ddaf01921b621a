line one
broken ${
