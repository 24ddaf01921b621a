hello ${nmae}
