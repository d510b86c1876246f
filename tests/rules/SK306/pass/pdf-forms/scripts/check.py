#!/usr/bin/env python3
import argparse

parser = argparse.ArgumentParser()
parser.parse_args()
