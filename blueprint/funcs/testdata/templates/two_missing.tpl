a ${one} b ${two}
