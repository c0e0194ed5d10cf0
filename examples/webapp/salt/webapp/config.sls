{%- from 'webapp/map.jinja' import webapp with context %}
webapp_conf_dir:
  file.directory:
    - name: {{ webapp.conf_dir }}
    - mode: '0755'
    - makedirs: True

webapp_conf:
  file.managed:
    - name: {{ webapp.conf_dir }}/webapp.conf
    - source: salt://webapp/files/webapp.conf.j2
    - template: jinja
    - mode: '0644'
    - context:
        port: {{ salt['pillar.get']('webapp:port', 8080) }}
    - require:
      - file: webapp_conf_dir

webapp_motd:
  file.managed:
    - name: {{ webapp.conf_dir }}/motd
    - contents: |
        This host ({{ grains['id'] }}, {{ grains['os'] }} {{ grains['osrelease'] }}) is managed by halite.
    - require:
      - file: webapp_conf_dir

webapp_init_db:
  cmd.run:
    - name: date -u +%s > {{ webapp.conf_dir }}/db.initialized
    - creates: {{ webapp.conf_dir }}/db.initialized
    - require:
      - file: webapp_conf
