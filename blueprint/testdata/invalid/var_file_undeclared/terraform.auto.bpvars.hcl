web_cuont = 3 # WARNING: Value for undeclared variable
