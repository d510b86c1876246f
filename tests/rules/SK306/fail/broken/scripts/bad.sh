#!/bin/sh
echo ok
if then fi
