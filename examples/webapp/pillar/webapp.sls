webapp:
  port: 8080
  admins:
    - alice
    - bob
