/*
 * app.js — the plain tracking page served by `salesplan serve`: lists the
 * plans, asks for an as-of date and a grouping, and shows the tracking
 * table from GET /api/plans/{name}/tracking. When the server asks for a
 * session (401) it shows a small sign-in form (POST /api/login). This page
 * is the fallback embedded when the binary is built without node; the real
 * web app is web/ (docs/web.md). No framework, no inline code
 * (the server's Content-Security-Policy is default-src 'self'); all data
 * goes into the page as text, never as HTML.
 */
'use strict';

(function () {
	var I18N = {
		zh: {
			title: '销售目标跟踪',
			plan: '计划',
			as_of: '截至日期',
			group: '分组',
			by_all: '全部单元格',
			by_org_month: '组织 × 月',
			by_month: '月',
			by_quarter: '季度',
			show: '查询',
			legend_ahead: '完成率 ≥ 时间进度',
			legend_behind: '完成率 < 时间进度（落后）',
			col_metric: '指标',
			col_org: '组织',
			col_period: '期间',
			col_target: '目标',
			col_actual: '实际',
			col_attainment: '完成率 %',
			col_time: '时间进度 %',
			col_gap: '差距',
			loading: '加载中…',
			no_plans: '还没有计划。用 `salesplan plan create` 创建一个。',
			no_rows: '没有目标单元格。',
			rows: '{n} 行，截至 {d}',
			error: '出错了：',
			lang_other: 'English',
			metric_revenue: '销售额',
			metric_gross_profit: '毛利',
			metric_units: '销量',
			metric_orders: '订单数',
			login_user: '用户名',
			login_password: '密码',
			login_submit: '登录',
			login_needed: '请先登录。',
			login_bad: '用户名或密码错误。'
		},
		en: {
			title: 'Sales target tracking',
			plan: 'Plan',
			as_of: 'As of',
			group: 'Grouping',
			by_all: 'All cells',
			by_org_month: 'Org × month',
			by_month: 'Month',
			by_quarter: 'Quarter',
			show: 'Show',
			legend_ahead: 'attainment ≥ time progress',
			legend_behind: 'attainment < time progress (behind)',
			col_metric: 'Metric',
			col_org: 'Org',
			col_period: 'Period',
			col_target: 'Target',
			col_actual: 'Actual',
			col_attainment: 'Attainment %',
			col_time: 'Time progress %',
			col_gap: 'Gap',
			loading: 'Loading…',
			no_plans: 'No plans yet. Create one with `salesplan plan create`.',
			no_rows: 'No target cells.',
			rows: '{n} rows, as of {d}',
			error: 'Error: ',
			lang_other: '中文',
			metric_revenue: 'Revenue',
			metric_gross_profit: 'Gross profit',
			metric_units: 'Units',
			metric_orders: 'Orders',
			login_user: 'User name',
			login_password: 'Password',
			login_submit: 'Sign in',
			login_needed: 'Sign in first.',
			login_bad: 'Wrong user name or password.'
		}
	};

	var lang = 'zh';
	var last = null; /* last tracking response, re-rendered on language change */
	var statusKey = null, statusArgs = null, statusText = '';

	function $(id) {
		return document.getElementById(id);
	}

	function t(key, args) {
		var s = (I18N[lang] && I18N[lang][key]) || I18N.en[key] || key;
		if (args)
			Object.keys(args).forEach(function (k) {
				s = s.replace('{' + k + '}', args[k]);
			});
		return s;
	}

	function storedLang() {
		try {
			return window.localStorage.getItem('salesplan.lang');
		} catch (e) {
			return null;
		}
	}

	function setLang(l) {
		lang = I18N[l] ? l : 'zh';
		try {
			window.localStorage.setItem('salesplan.lang', lang);
		} catch (e) { /* private mode: keep it for this page only */ }
		document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
		document.querySelectorAll('[data-i18n]').forEach(function (el) {
			el.textContent = t(el.getAttribute('data-i18n'));
		});
		$('lang').textContent = t('lang_other');
		document.title = 'salesplan · ' + t('title');
		renderStatus();
		if (last)
			render(last);
	}

	function setStatus(key, args, isError, extra) {
		statusKey = key;
		statusArgs = args || null;
		statusText = extra || '';
		$('status').classList.toggle('error', !!isError);
		renderStatus();
	}

	function renderStatus() {
		$('status').textContent = statusKey ? t(statusKey, statusArgs) + statusText : '';
	}

	/* "-1234567.80" -> "-1,234,567.80"; exact, on the decimal string. */
	function groupAmount(s) {
		if (s === null || s === undefined)
			return '';
		s = String(s);
		var m = /^(-?)(\d+)(\.\d+)?$/.exec(s);
		if (!m)
			return s;
		return m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (m[3] || '');
	}

	function pct(v) {
		return typeof v === 'number' ? v.toFixed(2) : '';
	}

	function today() {
		var d = new Date();
		var mm = String(d.getMonth() + 1).padStart(2, '0');
		var dd = String(d.getDate()).padStart(2, '0');
		return d.getFullYear() + '-' + mm + '-' + dd;
	}

	/* fetch JSON; rejects with the server's error message if any (the
	 * HTTP status in err.status). */
	function getJSON(url, opts) {
		opts = opts || {};
		opts.credentials = 'same-origin';
		opts.headers = opts.headers || {};
		opts.headers.Accept = 'application/json';
		return fetch(url, opts).then(function (r) {
			return r.json().catch(function () {
				return {};
			}).then(function (body) {
				if (!r.ok) {
					var msg = body && body.error && body.error.message;
					var err = new Error(msg || r.status + ' ' + r.statusText);
					err.status = r.status;
					throw err;
				}
				return body;
			});
		});
	}

	/* Show the sign-in form; on success load the plans. */
	function askLogin(bad) {
		$('login').hidden = false;
		$('controls').hidden = true;
		setStatus(bad ? 'login_bad' : 'login_needed', null, !!bad);
	}

	function submitLogin(ev) {
		ev.preventDefault();
		getJSON('/api/login', {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ username: $('username').value, password: $('password').value })
		}).then(function () {
			$('password').value = '';
			$('login').hidden = true;
			$('controls').hidden = false;
			loadPlans();
		}).catch(function (e) {
			if (e.status === 401)
				askLogin(true);
			else
				setStatus('error', null, true, e.message);
		});
	}

	function cell(tr, text, cls) {
		var td = document.createElement('td');
		td.textContent = text;
		if (cls)
			td.className = cls;
		tr.appendChild(td);
		return td;
	}

	function render(data) {
		var tbody = document.querySelector('#tracking tbody');
		tbody.textContent = '';
		data.items.forEach(function (row) {
			var tr = document.createElement('tr');
			var behind = typeof row.attainment === 'number' &&
				typeof row.time_progress === 'number' &&
				row.attainment < row.time_progress;
			var org = row.org_name || row.org || '';
			if (row.org && row.org_name && row.org !== row.org_name)
				org = row.org_name + ' (' + row.org + ')';
			var dims = [row.product_line, row.product, row.channel, row.segment]
				.filter(function (x) { return x; });
			cell(tr, t('metric_' + row.metric) + (dims.length ? ' · ' + dims.join(' · ') : ''));
			cell(tr, org);
			cell(tr, row.period || '');
			cell(tr, groupAmount(row.target), 'num');
			cell(tr, groupAmount(row.actual), 'num');
			cell(tr, pct(row.attainment), 'num ' + (behind ? 'behind' : 'ahead'));
			cell(tr, pct(row.time_progress), 'num');
			cell(tr, groupAmount(row.gap), 'num' + (String(row.gap).charAt(0) === '-' ? ' over' : ''));
			tbody.appendChild(tr);
		});
		if (data.items.length)
			setStatus('rows', { n: data.items.length, d: data.as_of });
		else
			setStatus('no_rows');
	}

	function load() {
		var plan = $('plan').value;
		if (!plan)
			return;
		var q = 'as_of=' + encodeURIComponent($('as_of').value || today());
		var by = $('by').value;
		if (by)
			q += '&by=' + encodeURIComponent(by);
		setStatus('loading');
		getJSON('/api/plans/' + encodeURIComponent(plan) + '/tracking?' + q)
			.then(function (data) {
				last = data;
				render(data);
			})
			.catch(function (e) {
				last = null;
				document.querySelector('#tracking tbody').textContent = '';
				setStatus('error', null, true, e.message);
			});
	}

	function init() {
		var l = storedLang() ||
			((navigator.language || '').toLowerCase().indexOf('zh') === 0 ? 'zh' : 'en');
		setLang(l);
		$('lang').addEventListener('click', function () {
			setLang(lang === 'zh' ? 'en' : 'zh');
		});
		$('as_of').value = today();
		$('controls').addEventListener('submit', function (ev) {
			ev.preventDefault();
			load();
		});
		['plan', 'as_of', 'by'].forEach(function (id) {
			$(id).addEventListener('change', load);
		});

		getJSON('/api/health').then(function (h) {
			$('company').textContent = h.company;
			$('currency').textContent = h.currency;
		}).catch(function () { /* the plans call reports errors */ });

		$('login').addEventListener('submit', submitLogin);
		loadPlans();
	}

	function loadPlans() {
		setStatus('loading');
		getJSON('/api/plans').then(function (data) {
			var sel = $('plan');
			sel.textContent = '';
			data.items.forEach(function (p) {
				var o = document.createElement('option');
				o.value = p.name;
				o.textContent = p.name + ' (' + p.year + ', ' + p.status + ')';
				sel.appendChild(o);
			});
			if (!data.items.length) {
				setStatus('no_plans');
				return;
			}
			load();
		}).catch(function (e) {
			if (e.status === 401)
				askLogin(false);
			else
				setStatus('error', null, true, e.message);
		});
	}

	document.addEventListener('DOMContentLoaded', init);
})();
