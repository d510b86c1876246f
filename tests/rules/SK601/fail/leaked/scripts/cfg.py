AWS_KEY = 'AKIAQ7W3E9R1T5Y2U8I4'
db_password = "p4ssw0rd-very-long-and-real-1"
