#!/usr/bin/env python3
name = input('Model: ')
print(name)
