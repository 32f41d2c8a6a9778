// The upload form: a file dropped on the box or chosen is sent at once; one over the limit is
// refused here, before any of it is sent (the server refuses it too, with 413).
(function () {
  "use strict";
  var form = document.getElementById("upload");
  var input = document.getElementById("file");
  var drop = document.getElementById("drop");
  var status = document.getElementById("status");
  var button = document.getElementById("send");
  var maxBytes = Number(form.getAttribute("data-max-bytes"));

  function say(text, problem) {
    status.textContent = text;
    status.classList.toggle("problem", !!problem);
  }

  function send() {
    var file = input.files[0];
    if (!file) { say("请选择要检查的文件。", true); return false; }
    if (file.size > maxBytes) {
      say("《" + file.name + "》有 " + (file.size / 1048576).toFixed(1) + " MB，超过上传上限 " +
          form.getAttribute("data-limit") + "，未检查。", true);
      return false;
    }
    say("正在检查《" + file.name + "》…");
    button.disabled = true;
    return true;
  }

  form.addEventListener("submit", function (event) {
    if (!send()) event.preventDefault();
  });
  input.addEventListener("change", function () {
    if (input.files.length && send()) form.submit();  // submit() fires no submit event: checked by send()
  });
  ["dragenter", "dragover"].forEach(function (type) {
    drop.addEventListener(type, function (event) { event.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (type) {
    drop.addEventListener(type, function () { drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (event) {
    event.preventDefault();
    if (!event.dataTransfer.files.length) return;
    input.files = event.dataTransfer.files;
    input.dispatchEvent(new Event("change"));
  });
  // Back from a result, the page may come from the cache with the button still disabled.
  window.addEventListener("pageshow", function () { button.disabled = false; });
})();
