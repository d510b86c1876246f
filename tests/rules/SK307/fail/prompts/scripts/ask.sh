#!/bin/bash
# usage: ask.sh
read answer
read -t 5 fine
