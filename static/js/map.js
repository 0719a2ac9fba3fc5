// Maps of the directory: every element with data-map="directory" or data-map="actor".
// The base map is drawn from the vendored Natural Earth country boundaries (world-atlas TopoJSON,
// turned into GeoJSON by topojson-client), so no tile server is needed; a deployment may configure
// one (data-tile-url). Every word shown comes from the page's data- attributes, already translated:
// this script has none of its own. Names and places are set as text, never as HTML.
(function () {
  "use strict";
  if (typeof L === "undefined" || typeof topojson === "undefined") {
    return;
  }

  // Europe and Korea together: where the directory's actors are.
  var DEFAULT_BOUNDS = [[30, -12], [62, 135]];
  var LAND = { color: "#9aa6b8", weight: 0.6, fillColor: "#fbfaf6", fillOpacity: 1 };
  var atlases = {};

  function loadAtlas(url) {
    if (!atlases[url]) {
      atlases[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) {
          throw new Error("atlas " + response.status);
        }
        return response.json();
      });
    }
    return atlases[url];
  }

  // A ring that crosses the antimeridian (Russia's far east, Fiji) jumps from 180 to -180 and
  // back, which Leaflet would draw as a band across the whole map: continue it past 180 instead.
  // A ring that goes all the way round (Antarctica) stays as it is.
  function unwrapRing(ring) {
    var crosses = ring.some(function (point, i) {
      return i > 0 && Math.abs(point[0] - ring[i - 1][0]) > 180;
    });
    if (!crosses) {
      return ring;
    }
    var shifted = ring.map(function (point) {
      return point[0] < 0 ? [point[0] + 360, point[1]] : point;
    });
    var longitudes = shifted.map(function (point) {
      return point[0];
    });
    var span = Math.max.apply(null, longitudes) - Math.min.apply(null, longitudes);
    return span < 180 ? shifted : ring;
  }

  function unwrapCountries(countries) {
    countries.features.forEach(function (feature) {
      var geometry = feature.geometry;
      if (!geometry) {
        return;
      }
      if (geometry.type === "Polygon") {
        geometry.coordinates = geometry.coordinates.map(unwrapRing);
      } else if (geometry.type === "MultiPolygon") {
        geometry.coordinates = geometry.coordinates.map(function (polygon) {
          return polygon.map(unwrapRing);
        });
      }
    });
    return countries;
  }

  function markerIcon(data) {
    return L.icon({
      iconUrl: data.iconUrl,
      iconRetinaUrl: data.iconRetinaUrl,
      shadowUrl: data.shadowUrl,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      tooltipAnchor: [16, -28],
      shadowSize: [41, 41],
    });
  }

  function baseMap(element) {
    var data = element.dataset;
    var tiles = Boolean(data.tileUrl);
    var map = L.map(element, {
      zoomControl: false,
      minZoom: 2,
      // Without tiles, closer than this shows nothing but a boundary line.
      maxZoom: tiles ? 18 : 11,
      zoomSnap: 0.5,
      worldCopyJump: true,
    });
    L.control.zoom({ zoomInTitle: data.zoomIn, zoomOutTitle: data.zoomOut }).addTo(map);
    map.attributionControl.setPrefix(false);
    if (tiles) {
      L.tileLayer(data.tileUrl, { attribution: data.tileAttribution, maxZoom: 18 }).addTo(map);
    } else {
      element.classList.add("map-boundaries");
      // Under the markers and the circle of a parent, and never in the way of a click
      // (map.css gives the pane its place and lets pointer events through).
      map.createPane("boundaries");
      loadAtlas(data.atlasUrl)
        .then(function (atlas) {
          var countries = unwrapCountries(topojson.feature(atlas, atlas.objects.countries));
          L.geoJSON(countries, {
            style: LAND,
            interactive: false,
            // One canvas for some 240 countries: lighter than as many SVG paths.
            renderer: L.canvas({ padding: 0.5, pane: "boundaries" }),
            pane: "boundaries",
            attribution: data.boundariesAttribution,
          }).addTo(map);
          element.dataset.boundaries = "drawn";
        })
        .catch(function () {
          element.dataset.boundaries = "failed";
        });
    }
    // Leaflet's close button is labelled in English; the page gives the words.
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close && data.closeLabel) {
        close.setAttribute("aria-label", data.closeLabel);
        close.setAttribute("title", data.closeLabel);
      }
    });
    return map;
  }

  function text(tag, className, value, lang) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    node.textContent = value;
    if (lang) {
      node.setAttribute("lang", lang);
    }
    return node;
  }

  // Name (a link to the profile), the other-language name, kind and place.
  function popupContent(actor, language) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var korean = language === "ko" && actor.name_ko;
    var title = document.createElement("a");
    title.className = "map-popup-name";
    title.href = actor.url;
    title.textContent = korean ? actor.name_ko : actor.name;
    if (korean) {
      title.setAttribute("lang", "ko");
    }
    box.appendChild(title);
    if (actor.name_ko && !korean) {
      box.appendChild(text("span", "map-popup-other", actor.name_ko, "ko"));
    } else if (korean && actor.name !== actor.name_ko) {
      box.appendChild(text("span", "map-popup-other", actor.name, "en"));
    }
    box.appendChild(text("span", "map-popup-kind", actor.kind));
    if (actor.place) {
      box.appendChild(text("span", "map-popup-place", actor.place));
    }
    return box;
  }

  function actorMarker(actor, icon, language) {
    var marker = L.marker([actor.lat, actor.lon], {
      icon: icon,
      title: actor.name,
      alt: actor.name,
      riseOnHover: true,
    });
    marker.bindPopup(function () {
      return popupContent(actor, language);
    });
    return marker;
  }

  function directoryMap(element) {
    var data = element.dataset;
    var map = baseMap(element);
    map.fitBounds(DEFAULT_BOUNDS);
    var icon = markerIcon(data);
    element.dataset.state = "loading";
    fetch(data.pointsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("points " + response.status);
        }
        return response.json();
      })
      .then(function (points) {
        var group = L.markerClusterGroup({
          chunkedLoading: true,
          showCoverageOnHover: false,
          maxClusterRadius: 45,
        });
        group.addLayers(
          points.actors.map(function (actor) {
            return actorMarker(actor, icon, data.language);
          })
        );
        map.addLayer(group);
        if (points.actors.length) {
          map.fitBounds(group.getBounds(), { padding: [30, 30], maxZoom: 7, animate: false });
        }
        element.dataset.markers = String(points.actors.length);
        element.dataset.state = "ready";
      })
      .catch(function () {
        element.dataset.state = "failed";
        var message = document.getElementById(data.errorId);
        if (message) {
          message.hidden = false;
        }
      });
  }

  function actorMap(element) {
    var data = element.dataset;
    var map = baseMap(element);
    var here = [parseFloat(data.lat), parseFloat(data.lon)];
    L.marker(here, {
      icon: markerIcon(data),
      title: data.name,
      alt: data.name,
      keyboard: false,
    }).addTo(map);
    var parent = element.querySelector("[data-parent-url]");
    if (parent) {
      var where = [parseFloat(parent.dataset.lat), parseFloat(parent.dataset.lon)];
      L.circleMarker(where, { radius: 7, color: "#1d3a8a", weight: 2, fillOpacity: 0.35 })
        .bindPopup(function () {
          return popupContent(
            {
              name: parent.dataset.name,
              name_ko: parent.dataset.nameKo,
              url: parent.dataset.parentUrl,
              kind: parent.dataset.kind,
              place: parent.dataset.place,
            },
            data.language
          );
        })
        .addTo(map);
      map.fitBounds(L.latLngBounds([here, where]), { padding: [30, 30], maxZoom: 5.5 });
    } else {
      map.setView(here, 5.5);
    }
    element.dataset.state = "ready";
  }

  document.querySelectorAll("[data-map]").forEach(function (element) {
    if (element.dataset.map === "directory") {
      directoryMap(element);
    } else if (element.dataset.map === "actor") {
      actorMap(element);
    }
  });
})();
