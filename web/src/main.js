// Entry of the salesplan web app: Vue 3 + Element Plus + vue-i18n, hash
// routing (the server only serves index.html and flat asset files).
import { createApp, watch } from 'vue'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import App from './App.vue'
import { router } from './router.js'
import { makeI18n } from './i18n/index.js'
import { session } from './session.js'
import './style.css'

const i18n = makeI18n(session.lang)
watch(
  () => session.lang,
  (l) => {
    i18n.global.locale.value = l
    document.documentElement.lang = l
    document.title = i18n.global.t('app.title')
  },
  { immediate: true },
)

createApp(App).use(ElementPlus).use(i18n).use(router).mount('#app')
