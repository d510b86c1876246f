#!/usr/bin/env python3
import argparse

parser = argparse.ArgumentParser()
parser.parse_args()
# input( in a comment is fine
