// Upload with a progress bar, and the progress of a running import.
// Without this script the pages still work: the form posts normally and
// the import page says to refresh.
(function () {
  "use strict";

  function upload(form) {
    var bar = form.querySelector(".upload-progress");
    var status = form.querySelector(".upload-status");
    var button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        var pct = Math.floor((e.loaded / e.total) * 100);
        bar.value = pct;
        status.textContent = "已上传 " + pct + "%(" + (e.loaded / 1048576).toFixed(1) + " / " +
          (e.total / 1048576).toFixed(1) + " MB)";
        if (pct === 100) status.textContent = "上传完成,正在读取表头……";
      });
      xhr.addEventListener("load", function () {
        if (xhr.status === 200 && xhr.responseURL && xhr.responseURL !== form.action) {
          window.location.assign(xhr.responseURL);
          return;
        }
        // An error page: show it as the browser would have.
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener("error", function () {
        status.textContent = "上传失败:网络中断或文件过大,请重试。";
        button.disabled = false;
      });
      bar.hidden = false;
      button.disabled = true;
      status.textContent = "正在上传……";
      xhr.send(new FormData(form));
    });
  }

  function follow(box) {
    var url = box.getAttribute("data-status");
    var count = box.querySelector(".rows-read");
    function poll() {
      var xhr = new XMLHttpRequest();
      xhr.open("GET", url);
      xhr.addEventListener("load", function () {
        if (xhr.status !== 200) return;
        var s = JSON.parse(xhr.responseText);
        count.textContent = s.rows_read;
        if (s.state === "done") {
          window.location.reload();
        } else {
          setTimeout(poll, 1000);
        }
      });
      xhr.send();
    }
    setTimeout(poll, 500);
  }

  var form = document.querySelector("form[data-upload]");
  if (form) upload(form);
  var box = document.querySelector(".import-running[data-status]");
  if (box) follow(box);
})();
