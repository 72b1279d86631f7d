// narrow.js — a reactive flag for phone-sized screens (< 600 px wide):
// pages leave out secondary table columns when it is set.
import { ref } from 'vue'

export const narrow = ref(typeof window !== 'undefined' && window.innerWidth < 600)
if (typeof window !== 'undefined') {
  window.addEventListener('resize', () => {
    narrow.value = window.innerWidth < 600
  })
}
