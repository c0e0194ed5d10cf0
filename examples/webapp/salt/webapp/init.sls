{%- from 'webapp/map.jinja' import webapp with context %}
include:
  - .config

webapp_pkg:
  pkg.installed:
    - name: {{ webapp.pkg }}

webapp_service:
  service.running:
    - name: {{ webapp.service }}
    - enable: True
    - require:
      - pkg: webapp_pkg
    - watch:
      - file: webapp_conf
